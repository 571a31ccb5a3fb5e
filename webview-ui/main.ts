// The run panel webview entry (browser only; imports nothing but daemon/protocol). Its UI is
// tracked by issue 4.
import { PROTOCOL_VERSION } from '../daemon/protocol';

document.body.dataset.protocolVersion = String(PROTOCOL_VERSION);
