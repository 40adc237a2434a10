// The third-party actions the generated workflows use, each pinned in one place: to its major tag, or
// with `--pin-sha` to the full commit of a release (immutable, as supply-chain hardening asks).

/** One action: its major tag, and the release commit `--pin-sha` writes instead. */
export interface CiAction {
  readonly name: string;
  readonly major: string;
  readonly release: string;
  readonly sha: string;
}

const action = (name: string, major: string, release: string, sha: string): CiAction => ({
  name,
  major,
  release,
  sha,
});

/** The actions `plinth-deploy ci` writes, by role; the commits are those the release tags point at. */
export const ciActions = {
  checkout: action('actions/checkout', 'v7', 'v7.0.1', '3d3c42e5aac5ba805825da76410c181273ba90b1'),
  // Reads the pnpm version from package.json's "packageManager" when given no `version` input.
  pnpm: action('pnpm/action-setup', 'v4', 'v4.0.0', 'fe02b34f77f8bc703788d5817da081398fad5dd2'),
  node: action('actions/setup-node', 'v7', 'v7.0.0', '820762786026740c76f36085b0efc47a31fe5020'),
  buildx: action('docker/setup-buildx-action', 'v4', 'v4.3.0', '37fe631027851001ddb9b187196cc803df7f5f0e'),
  build: action('docker/build-push-action', 'v7', 'v7.3.0', '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a'),
  // v1 drives @changesets/cli 2; v2 requires @changesets/cli 3 (and renamed its inputs).
  changesetsV1: action('changesets/action', 'v1', 'v1.9.0', 'a45c4d594aa4e2c509dc14a9f2b3b67ba3780d0d'),
  changesetsV2: action('changesets/action', 'v2', 'v2.1.1', '8488615a623b1b9c987934bb89eae8af6a946ac1'),
} as const;

/** The `uses:` value of `action`: `owner/name@v7`, or `owner/name@<sha> # v7.0.1` when pinned. */
export function uses(action: CiAction, pinSha = false): string {
  return pinSha ? `${action.name}@${action.sha} # ${action.release}` : `${action.name}@${action.major}`;
}
