"use client";

import { useCallback } from "react";
import { useSessionActions } from "@/components/session-provider";
import { useIdempotencyKey } from "./use-idempotency-key";

/**
 * One form's credit-spending call: sent with its `Idempotency-Key` (see useIdempotencyKey), the
 * answer's `balance` shown in the header, and the balance read again after a failure (a 402,
 * or a refund after a provider error).
 */
export function usePaidCall() {
  const send = useIdempotencyKey();
  const { setBalance, refreshBalance } = useSessionActions();

  return useCallback(
    async <T extends { balance: number }>(body: unknown, call: (key: string) => Promise<T>): Promise<T> => {
      try {
        const answer = await send(body, call);
        setBalance(answer.balance);
        return answer;
      } catch (error) {
        void refreshBalance();
        throw error;
      }
    },
    [send, setBalance, refreshBalance],
  );
}
