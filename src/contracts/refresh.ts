/**
 * How the running software keeps a secret it reads current.
 *
 * - `at-boot`: read once when the instance or pod starts. Right for a secret nobody rotates.
 * - `on-rotation`: the app is given the secret's ARN in an environment variable (`env`) and
 *   reads the secret itself when it (re)connects, so a rotation never leaves it with a stale
 *   password. The rung fails a rotating secret (RDS's managed master secret rotates every 7
 *   days) read `at-boot`, and checks that the boot script or pod spec passes `env` with the
 *   secret's ARN.
 * - `restart-on-rotation`: the instance finds the secret's ARN in an SSM parameter (`parameter`,
 *   whose value holds it), reads the current version at each start of the app, and a systemd
 *   timer restarts the app when the secret's `AWSCURRENT` version moves. The rung checks the
 *   parameter holds the ARN, the principal may read it, and the boot script reads it, compares
 *   `AWSCURRENT` and enables a timer.
 */
export type Refresh =
  | { readonly kind: "at-boot" }
  | { readonly kind: "on-rotation"; readonly env: string }
  | { readonly kind: "restart-on-rotation"; readonly parameter: string };

/** Read once, at boot. */
export const AT_BOOT: Refresh = { kind: "at-boot" };

/** Re-read by the app on rotation, from the secret ARN in environment variable `env`. */
export function onRotation(env: string): Refresh {
  return { kind: "on-rotation", env };
}

/** Restarted by the instance when the secret rotates; the secret's ARN is in SSM parameter `parameter`. */
export function restartOnRotation(parameter: string): Refresh {
  return { kind: "restart-on-rotation", parameter };
}
