const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed uuid (any version), e.g. before using it as a key or trusting a header. */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
