/**
 * The fake Cloudinary Upload API. It lives in the Cloudinary plugin's folder
 * (a plugin carries its own fake, so it tests the same way from npm); host
 * tests and benchmarks import it from here.
 */
export {
  FakeCloudinary,
  cloudinarySignature,
  cloudinaryStringToSign,
  type FakeAsset,
  type FakeCloudinaryFault,
  type FakeCloudinaryOptions,
  type FakeCloudinaryRequest,
} from '../../plugins/cloudinary/tests/fake_cloudinary.js'
