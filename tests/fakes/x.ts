/** The fake X API (OAuth 2.0 with PKCE, posts, media upload v2). It lives in the X plugin's folder. */
export * from '../../plugins/x/tests/fake_x.js'
