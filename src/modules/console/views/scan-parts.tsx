/**
 * The phone-camera QR reader of a form (console.js decodes with jsQR, fills `target` and submits the
 * form); typing the code into the same field works without a camera or script.
 */
export function CameraScan({ target, fallback }: { target: string; fallback: string }) {
  return (
    <div data-camera={`#${target}`}><button type="button" data-start="" hidden>用手机摄像头扫码</button>
      <video hidden playsinline muted></video><p class="err" data-camera-error="" hidden>{fallback}</p></div>
  );
}
