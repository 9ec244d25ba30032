/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The API serves the built UI on the same origin; in development the dev server
// forwards API calls (including SSE streams) to the local `agentpaas dev` server.
const API_TARGET = process.env.AGENTPAAS_API_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/api": { target: API_TARGET, changeOrigin: false },
      "/v1": { target: API_TARGET, changeOrigin: false },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // The libraries every visit loads, in a few chunks by family: each stays under the size
        // warning and is cached until that family is upgraded, not whenever the app changes.
        // Libraries only a lazily loaded page uses (rjsf, ajv) stay in that page's chunks.
        codeSplitting: {
          groups: [
            {
              name: "react",
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser)[\\/]/,
              tags: ["$initial"],
              priority: 3,
            },
            {
              name: "graph",
              test: /node_modules[\\/](@xyflow|@dagrejs|d3-[^\\/]+|classcat|zustand)[\\/]/,
              tags: ["$initial"],
              priority: 2,
            },
            { name: "vendor", test: /node_modules[\\/]/, tags: ["$initial"], priority: 1 },
          ],
        },
      },
    },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    setupFiles: ["tests/setup.ts"],
  },
});
