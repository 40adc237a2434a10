// OpenID Connect login on openid-client (an optional peer, imported only by the ./oidc entry point):
// authorization code + PKCE (S256), state and nonce, discovery, ID token validation, userinfo, logout.
// The protocol is openid-client's; this file chooses the safe defaults and types the errors.
import * as client from 'openid-client';
import { AuthError, invalidOption } from '../errors.js';

/** Options of `createOidcClient`. */
export interface OidcClientOptions {
  /** The provider's issuer URL (discovery reads `<issuer>/.well-known/openid-configuration`). */
  issuer: string | URL;
  clientId: string;
  /** For confidential clients (client_secret_basic); omit for public clients (PKCE alone). */
  clientSecret?: string;
  /** Where the provider sends the browser back, exactly as registered. */
  redirectUri: string;
  /** Default "openid email profile". */
  scope?: string;
  /** Where the provider sends the browser after logout. */
  postLogoutRedirectUri?: string;
  /** Accept http: for a provider on a loopback host (tests, local development). Default false. */
  allowLoopbackHttp?: boolean;
}

/** What to keep between `start` and `finish` (in a server-side session or a signed, HttpOnly cookie). */
export interface OidcTransaction {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/** A finished login. */
export interface OidcLogin {
  /** The validated ID token's claims (iss, aud, exp, nonce checked). */
  readonly claims: Readonly<Record<string, unknown>> & { sub: string };
  readonly accessToken: string;
  readonly idToken: string;
  readonly refreshToken?: string | undefined;
  /** Seconds. */
  readonly expiresIn?: number | undefined;
}

/** An OpenID Connect relying party. */
export interface OidcClient {
  /** The URL to redirect the browser to, and the transaction to keep until the callback. */
  start(extra?: Record<string, string>): Promise<{ url: URL; transaction: OidcTransaction }>;
  /** Completes the login from the callback URL; ERR_AUTH_OIDC_FAILED (401) on a bad state, nonce, code or ID token. */
  finish(callbackUrl: string | URL, transaction: OidcTransaction): Promise<OidcLogin>;
  /** The userinfo claims, checked to belong to `subject`. */
  userinfo(accessToken: string, subject: string): Promise<Readonly<Record<string, unknown>>>;
  /** The provider's end-session URL (RP-initiated logout). */
  logoutUrl(idToken: string, state?: string): URL;
}

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);

function failed(message: string, cause: unknown, status = 401): AuthError {
  return new AuthError('ERR_AUTH_OIDC_FAILED', message, { cause, status });
}

async function discover(options: OidcClientOptions): Promise<client.Configuration> {
  const issuer = new URL(options.issuer);
  const insecure = issuer.protocol === 'http:';
  if (insecure && !(options.allowLoopbackHttp === true && loopback.has(issuer.hostname))) {
    invalidOption('The issuer must be https: (http: only on a loopback host with allowLoopbackHttp: true).');
  }
  try {
    return await client.discovery(
      issuer,
      options.clientId,
      options.clientSecret,
      options.clientSecret === undefined ? client.None() : undefined,
      insecure ? { execute: [client.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
    );
  } catch (error) {
    throw failed(`OpenID discovery at ${issuer.origin} failed; check the issuer URL.`, error, 502);
  }
}

/**
 * Discovers the provider and returns a relying party.
 *
 * @example
 * const oidc = await createOidcClient({ issuer: 'https://accounts.example', clientId, clientSecret, redirectUri });
 * const { url, transaction } = await oidc.start();   // redirect to url, keep transaction
 * const login = await oidc.finish(callbackUrl, transaction);
 */
export async function createOidcClient(options: OidcClientOptions): Promise<OidcClient> {
  if (typeof options.clientId !== 'string' || options.clientId === '') invalidOption('clientId is required.');
  if (typeof options.redirectUri !== 'string' || !URL.canParse(options.redirectUri))
    invalidOption('redirectUri must be an absolute URL.');
  const config = await discover(options);
  const scope = options.scope ?? 'openid email profile';
  return {
    async start(extra = {}) {
      const transaction = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
      };
      const url = client.buildAuthorizationUrl(config, {
        ...extra,
        redirect_uri: options.redirectUri,
        scope,
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(transaction.codeVerifier),
        code_challenge_method: 'S256',
        state: transaction.state,
        nonce: transaction.nonce,
      });
      return { url, transaction };
    },
    async finish(callbackUrl, transaction) {
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(config, new URL(callbackUrl), {
          pkceCodeVerifier: transaction.codeVerifier,
          expectedState: transaction.state,
          expectedNonce: transaction.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw failed(
          'The OpenID login could not be completed (state, code or ID token refused); start the login again.',
          error,
        );
      }
      const claims = tokens.claims();
      if (claims === undefined || tokens.id_token === undefined)
        throw failed('The provider returned no ID token.', undefined);
      return {
        claims: claims as OidcLogin['claims'],
        accessToken: tokens.access_token,
        idToken: tokens.id_token,
        refreshToken: tokens.refresh_token,
        expiresIn: tokens.expiresIn(),
      };
    },
    async userinfo(accessToken, subject) {
      try {
        return await client.fetchUserInfo(config, accessToken, subject);
      } catch (error) {
        throw failed('The userinfo request failed or answered for another subject.', error);
      }
    },
    logoutUrl(idToken, state) {
      return client.buildEndSessionUrl(config, {
        id_token_hint: idToken,
        ...(options.postLogoutRedirectUri ? { post_logout_redirect_uri: options.postLogoutRedirectUri } : {}),
        ...(state ? { state } : {}),
      });
    },
  };
}
