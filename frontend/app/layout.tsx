import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { preconnect } from "react-dom";
import { RouteFocus } from "@/components/route-focus";
import { SessionProvider } from "@/components/session-provider";
import { earlyDataScript } from "@/lib/early-data";
import { env } from "@/lib/env";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "asset-engine", template: "%s · asset-engine" },
  description: "Plan campaigns, write and refine marketing copy with AI, and keep every version.",
};

export const viewport: Viewport = {
  themeColor: "#4f46e5",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  // Every page's data comes from the API: open its connection while the page's code loads.
  preconnect(new URL(env.NEXT_PUBLIC_API_URL).origin, { crossOrigin: "anonymous" });
  return (
    <html lang="en">
      <body className="min-h-screen">
        {/* A detail page's data is asked for while its JavaScript loads (lib/early-data.ts).
            Here, not in the dashboard's layout: this layout is only ever rendered as HTML, so
            the script runs once per document and is never built by the client (where React
            would not run it and warns). It reads nothing on other paths. */}
        <script dangerouslySetInnerHTML={{ __html: earlyDataScript() }} />
        <SessionProvider>
          <RouteFocus />
          {children}
        </SessionProvider>
      </body>
    </html>
  );
}
