/**
 * One part of what goes out on an account: text and the ids of the
 * workspace's media assets. One part is a post; several make a thread where
 * the network has threads (X).
 */
export interface ContentPart {
  text: string
  mediaIds: number[]
}
