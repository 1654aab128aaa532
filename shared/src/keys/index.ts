/** Keys: generation, raw hex import and export, and the passphrase-encrypted keystore file. */
export {
  exportSecretKeyHex,
  generateKeyPair,
  keyPairFromSecretHex,
  type KeyPair,
} from './keypair.js';
export {
  decryptKeystore,
  decryptKeystoreAsync,
  encryptKeystore,
  encryptKeystoreAsync,
  type DecryptedKeystore,
  type EncryptKeystoreOptions,
  type ProgressOptions,
} from './keystore.js';
export {
  CIPHER_NAME,
  DEFAULT_KDF,
  KDF_LIMITS,
  KDF_NAME,
  KEYSTORE_KIND,
  KEYSTORE_VERSION,
  MAX_TEXT_LENGTH,
  parseKeystore,
  type Keystore,
  type KeystoreCipher,
  type KeystoreHeader,
  type KeystoreKdf,
  type ScryptParams,
} from './keystore-format.js';
