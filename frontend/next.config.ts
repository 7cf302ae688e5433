import type { NextConfig } from "next";

// This folder is its own project inside a larger repository: pin the roots here so Next
// neither walks up to another lockfile nor traces files from outside frontend/.
const nextConfig: NextConfig = {
  // The browser test builds into a folder of its own, beside a developer's `.next`.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  poweredByHeader: false,
  outputFileTracingRoot: __dirname,
  turbopack: { root: __dirname },
};

export default nextConfig;
