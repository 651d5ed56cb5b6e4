/** The Express response, as much of it as the dialects' filters and edges use. */
export interface JsonResponse {
  headersSent: boolean;
  status(code: number): JsonResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
}
