"use client";

import { useCallback, useRef } from "react";
import { isApiError, newIdempotencyKey } from "./api";

/**
 * The `Idempotency-Key` of one form's spending call, so a retry is not a second charge:
 *
 * - the same body sent again after a network error or a 5xx goes with the same key (the server
 *   answers the first request's result, or runs it once if it never got it);
 * - a changed body gets a fresh key (the server answers 409 to one key with two bodies);
 * - after a success or any 4xx (refused, nothing charged) the next send is a new action with a
 *   fresh key.
 *
 * Returns `send(body, call)`: runs `call(key)` with the right key for `body`.
 */
export function useIdempotencyKey() {
  const held = useRef<{ key: string; body: string } | null>(null);

  return useCallback(async <T>(body: unknown, call: (key: string) => Promise<T>): Promise<T> => {
    const fingerprint = JSON.stringify(body);
    if (held.current === null || held.current.body !== fingerprint) {
      held.current = { key: newIdempotencyKey(), body: fingerprint };
    }
    const { key } = held.current;
    const forget = () => {
      if (held.current?.key === key) held.current = null;
    };
    try {
      const answer = await call(key);
      forget();
      return answer;
    } catch (error) {
      const mayRetry = isApiError(error) && (error.status === 0 || error.status >= 500);
      if (!mayRetry) forget();
      throw error;
    }
  }, []);
}
