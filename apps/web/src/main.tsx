import { ConvexProvider } from "convex/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { createConvexClient } from "./convexClient.js";
import "./styles.css";

const client = createConvexClient();
const threadId = new URLSearchParams(window.location.search).get("thread");

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ConvexProvider client={client}>
      <App initialThreadId={threadId} />
    </ConvexProvider>
  </StrictMode>,
);
