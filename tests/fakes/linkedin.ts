/** The fake LinkedIn API (OAuth 2.0, OpenID userinfo, Images and Posts APIs). It lives in the LinkedIn plugin's folder. */
export * from '../../plugins/linkedin/tests/fake_linkedin.js'
