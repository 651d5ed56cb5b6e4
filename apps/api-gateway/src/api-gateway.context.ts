/** DI token of the app context (`AppContext<ApiGatewayConfig>`); a leaf file so feature modules can import it without a cycle. */
export const API_GATEWAY_CONTEXT = Symbol('API_GATEWAY_CONTEXT');
