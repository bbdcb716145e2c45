/** The page where a reset code is redeemed, under where people open Parley (`base`). */
export function resetPageUrl(base: string): string {
  return new URL('reset-password', base.endsWith('/') ? base : `${base}/`).href;
}
