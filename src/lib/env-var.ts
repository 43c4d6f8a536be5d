/** An environment variable's name as shells and Docker's env files take it: letters, digits and `_`, not starting with a digit. */
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
