/**
 * The user the page acts as against the local stand-in backend, which takes the bearer token
 * itself as the user's subject. A fixed name for a loopback demo — not authentication.
 */
export const DEMO_USER_TOKEN = "web-demo-user";
