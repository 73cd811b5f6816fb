import { unzipSync } from 'fflate';
import { fileTypeFromBuffer } from 'file-type';

/**
 * The content type the bytes show, for the types documents may have. OFD (GB/T 33190, China's format for
 * e-invoices and e-licences) is a ZIP whose root holds OFD.xml: file-type says "zip", the entry list says OFD.
 */
export async function detectContentType(bytes: Uint8Array): Promise<string | undefined> {
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected) return undefined;
  if (detected.mime !== 'application/zip') return detected.mime;
  const names: string[] = [];
  try {
    // Lists the entries without inflating any of them.
    unzipSync(bytes, {
      filter: (file) => {
        names.push(file.name);
        return false;
      },
    });
  } catch {
    return detected.mime;
  }
  return names.includes('OFD.xml') ? 'application/ofd' : detected.mime;
}
