export {
  createOidcClient,
  type OidcClient,
  type OidcClientOptions,
  type OidcLogin,
  type OidcTransaction,
} from './adapters/oidc.js';
