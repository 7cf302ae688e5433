/**
 * A detail page's one read (its asset or campaign), started by a small inline script while the
 * HTML is still being parsed, so the API's answer travels while the page's JavaScript loads
 * instead of after it. `lib/api.ts` takes that answer for the first matching GET; any other
 * read goes to the API as usual. It is the fallback for when the server could not render the
 * record itself (lib/server-read.ts): it reads nothing where the server had the token, and an
 * answer the page turns out not to need is discarded unread.
 */
import { env } from "./env";
import { STORAGE_KEY } from "./session";
import { TOKEN_COOKIE } from "./token-cookie";

interface EarlyRead {
  url: string;
  token: string;
  response: Promise<Response>;
}

declare global {
  interface Window {
    __assetEngineEarly?: EarlyRead;
  }
}

/**
 * The inline script (the root layout renders it): same URL and headers as `api.ts` sends.
 * It reads nothing when the token cookie already holds the session's token: the server had it
 * and put the record in this HTML (a second read would only cost the API a request).
 */
export function earlyDataScript(): string {
  const api = JSON.stringify(env.NEXT_PUBLIC_API_URL);
  const key = JSON.stringify(STORAGE_KEY);
  const cookie = JSON.stringify(`${TOKEN_COOKIE}=`);
  return `(function(){try{var m=location.pathname.match(/^\\/(assets|campaigns)\\/([0-9a-f-]{36})$/);if(!m)return;var s=JSON.parse(localStorage.getItem(${key})||"null");if(!s||typeof s.access_token!=="string")return;if(document.cookie.split("; ").indexOf(${cookie}+encodeURIComponent(s.access_token))>=0)return;var u=${api}+"/api/v1/"+m[1]+"/"+m[2];window.__assetEngineEarly={url:u,token:s.access_token,response:fetch(u,{method:"GET",headers:{Accept:"application/json",Authorization:"Bearer "+s.access_token},cache:"no-store"})};window.__assetEngineEarly.response.catch(function(){})}catch(e){}})();`;
}

/** The early answer for this GET (same URL, same token), once; null otherwise. */
export function takeEarlyResponse(method: string, url: string, token: string | null): Promise<Response> | null {
  if (typeof window === "undefined" || method !== "GET") return null;
  const early = window.__assetEngineEarly;
  if (!early || early.url !== url || early.token !== token) return null;
  window.__assetEngineEarly = undefined;
  return early.response;
}

/**
 * The server already rendered the page's record: its early answer is not wanted, and must not
 * answer a later read of the same URL (a reload, an image's watch) with this older copy.
 */
export function discardEarlyResponse(): void {
  if (typeof window !== "undefined") window.__assetEngineEarly = undefined;
}
