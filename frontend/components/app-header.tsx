"use client";

import Link from "./ui/link";
import { usePathname } from "next/navigation";
import { BrandMark } from "./brand-mark";
import { CreditBalance } from "./credit-balance";
import { useSession } from "./session-provider";
import { Button } from "./ui/button";

const NAV = [
  { href: "/campaigns", label: "Campaigns" },
  { href: "/ai-studio", label: "AI studio" },
  { href: "/assets", label: "Assets" },
  { href: "/credits", label: "Credits" },
] as const;

export function AppHeader() {
  const pathname = usePathname();
  const { user, signOut } = useSession();

  return (
    <header className="sticky top-0 z-20 border-b border-zinc-200 bg-white/90 backdrop-blur">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-3 gap-y-2 px-4 sm:gap-x-6 py-2.5 sm:px-6 lg:px-8">
        <Link
          href="/campaigns"
          aria-label="asset-engine: campaigns"
          className="flex items-center gap-2 font-semibold tracking-tight text-zinc-900"
        >
          <BrandMark />
          <span className="hidden min-[400px]:inline" aria-hidden="true">
            asset-engine
          </span>
        </Link>
        <nav aria-label="Main" className="order-last flex w-full gap-1 sm:order-none sm:w-auto">
          {NAV.map((item) => {
            const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
            return (
              <Link
                key={item.href}
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`rounded-md px-3 py-1.5 text-sm font-medium transition-colors ${
                  active ? "bg-zinc-100 text-zinc-900" : "text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900"
                }`}
              >
                {item.label}
              </Link>
            );
          })}
        </nav>
        <div className="ml-auto flex items-center gap-2 sm:gap-3">
          <CreditBalance />
          <span className="hidden max-w-[16rem] min-w-0 truncate text-sm text-zinc-600 md:inline" title={user?.email}>
            {user?.email}
          </span>
          <Button variant="ghost" size="sm" onClick={signOut}>
            Sign out
          </Button>
        </div>
      </div>
    </header>
  );
}
