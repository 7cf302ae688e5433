import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { preconnect } from "react-dom";
import { RouteFocus } from "@/components/route-focus";
import { SessionProvider } from "@/components/session-provider";
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
        <SessionProvider>
          <RouteFocus />
          {children}
        </SessionProvider>
      </body>
    </html>
  );
}
