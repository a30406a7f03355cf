// What this server speaks beyond protocol 1, as `ready.features` announces it (contract
// section 8). A feature is listed only once it works end to end, so a page never offers a
// button the server would answer with `invalid_message`.
import { PROTOCOL_VERSION, type Feature } from '../../../common/protocol.js';

export const SERVER_PROTOCOL = PROTOCOL_VERSION;
export const SERVER_FEATURES: readonly Feature[] = ['viewer_cap', 'presence', 'request_control', 'replay', 'resume'];
