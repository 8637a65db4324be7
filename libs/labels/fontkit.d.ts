// fontkit 2 ships no types: the one call the label and report PDFs make (pdfkit accepts the font object it returns).
declare module 'fontkit' {
  /** A parsed font: pdfkit's registerFont takes it as is (it has `layout`). */
  export interface Font {
    layout(text: string): unknown;
    createSubset(): unknown;
    readonly postscriptName: string;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
