/** The fake Meta Graph API (Facebook Login, Pages, Page posts, Instagram containers), from the shared @herald/meta-graph package. */
export * from '@herald/meta-graph/testing'
