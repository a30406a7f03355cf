// Why: every body the server sends is validated before use, never cast. The schemas live once,
// in common/protocol/ (shared with the server and the CLI); this module only re-exports the
// ones the pages use under the names the pages already import.
export {
  AuthConfigResponseSchema as AuthConfigSchema,
  CreateShareResponseSchema,
  ErrorBodySchema,
  LoginResponseSchema,
  MeResponseSchema as MeSchema,
  SessionListSchema,
  SessionSchema,
  ShareListSchema,
  ShareSchema,
  ViewerListSchema,
} from '../../common/protocol.js';
