/** The JSON types of the auditors' responses, for their OpenAPI schemas. */
export const STRING = { type: 'string' } as const;
export const INTEGER = { type: 'integer' } as const;
export const BOOLEAN = { type: 'boolean' } as const;
export const NULLABLE_STRING = { type: 'string', nullable: true } as const;
export const SHA256_BASE64 = { type: 'string', description: 'SHA-256, base64' } as const;
