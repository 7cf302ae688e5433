"use client";

import NextLink, { useLinkStatus } from "next/link";
import { useRouter } from "next/navigation";
import type { ComponentProps } from "react";

/**
 * next/link that prefetches a page when the user shows they may go there (pointer over it,
 * keyboard focus, a finger down), not because it is on screen. next/link's default prefetches
 * every link in the viewport as the page loads: on a dashboard page that is the header's four
 * pages and the page's own links, each an RSC payload the router decodes and the route's
 * chunks, all on the main thread while the page is still hydrating and reading its data (on a
 * throttled phone most of the page's long tasks after the framework's start), and bandwidth
 * on a slow network for pages that may never be opened.
 */
export default function Link({
  href,
  onMouseEnter,
  onTouchStart,
  onFocus,
  children,
  ...props
}: ComponentProps<typeof NextLink>) {
  const router = useRouter();
  // Every href in this app is a string; an object href is left to navigation without prefetch.
  const prefetch = () => {
    if (typeof href === "string") router.prefetch(href);
  };
  return (
    <NextLink
      {...props}
      href={href}
      prefetch={false}
      onMouseEnter={(event) => {
        onMouseEnter?.(event);
        prefetch();
      }}
      onTouchStart={(event) => {
        onTouchStart?.(event);
        prefetch();
      }}
      onFocus={(event) => {
        onFocus?.(event);
        prefetch();
      }}
    >
      {children}
      <PendingMark />
    </NextLink>
  );
}

/**
 * While the page this link opens is on its way (a detail page's server reads its record first,
 * and no loading screen stands in for it), a hidden mark that the stylesheet shows as a wait on
 * the link and the pointer (app/globals.css). Nothing otherwise.
 */
function PendingMark() {
  const { pending } = useLinkStatus();
  return pending ? <span data-link-pending hidden /> : null;
}
