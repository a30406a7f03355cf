// Why: @types/qrcode pulls in Node's types (streams) for its server API; the renderer layer
// sees no Node, so tsconfig.renderer.json maps 'qrcode' to this browser-only slice.
export interface QRCodeRenderOptions {
  margin?: number;
  width?: number;
  errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
  color?: { dark?: string; light?: string };
}
export function toCanvas(canvas: HTMLCanvasElement, text: string, options?: QRCodeRenderOptions): Promise<void>;
declare const QRCode: { toCanvas: typeof toCanvas };
export default QRCode;
