/**
 * The user the page signs in as on the dev backend, with a dev token the backend mints
 * (POST /dev/token): unsigned and not verified — a local stand-in for a login, not auth.
 */
export const DEMO_USER = "web-demo-user";
