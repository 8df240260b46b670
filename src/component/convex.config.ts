import { defineComponent } from "convex/server";

// The mount name apps use: `app.use(codexLocal)` exposes `components.codexLocal`.
const component = defineComponent("codexLocal");

export default component;
