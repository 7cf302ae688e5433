// ESLint 9 flat config: Next.js's rules (core web vitals as errors) and typescript-eslint's,
// as eslint-config-next 16 ships them (Next 16 has no `next lint`: `npm run lint` runs eslint).
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      // Pictures are storage URLs from any host (Supabase, the local gateway): plain <img>, no resizing service.
      "@next/next/no-img-element": "off",
    },
  },
  globalIgnores([".next/**", ".next-*/**", "out/**", "build/**", "next-env.d.ts", "lib/api-types.ts"]),
]);
