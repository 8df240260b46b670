// The test app stores exactly the component's tables, so every document the hooks see
// here has the shape the real component returns.
import componentSchema from "../../../component/schema.js";

export default componentSchema;
