// Intro-request rules broken by the caller become the API's error shape with the store's status.
import { IntroRequestError } from '@warmpath/shared/intros';
import { ApiError, forbidden } from './api-error.js';
import type { RequestCaller } from './api-route.js';

export function asApiError(error: unknown): unknown {
  return error instanceof IntroRequestError
    ? new ApiError(error.status, error.code, error.message)
    : error;
}

/** The caller's directory person; intro requests are between people the directory knows. */
export function requirePerson(caller: RequestCaller): number {
  if (caller.person === undefined) {
    throw forbidden(
      "Your account is not in WarmPath's directory yet: it appears after the next directory sync.",
      'not_in_directory',
    );
  }
  return caller.person.personId;
}
