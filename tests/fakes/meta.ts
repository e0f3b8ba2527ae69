/** The fake Meta Graph API (Facebook Login, Pages, Page posts, Instagram containers). It lives in the Facebook plugin's folder. */
export * from '../../plugins/facebook/tests/fake_meta.js'
