// Buffers for the long texts of the requests doctor keeps for comparison, reused instead of
// allocated per request. A log whose sessions come back hundreds of requests later keeps each
// request's 32 kB system prompt that long: as a JS string it outlived two minor GCs and was copied
// into V8's old generation (a third of doctor's time on the bench's log), and as a fresh Buffer
// each it cost the same in new memory the machine had to map. A kept request's texts go into
// pooled buffers, returned when doctor lets go of the request, so a long log recycles a bounded
// set of buffers: at most the kept requests' texts, each rounded up to a power of two.

export interface PackedText {
  bytes: Buffer;
  encoding: 'latin1' | 'utf16le';
  /** The pooled buffer `bytes` lies in, to give back. */
  slab: Buffer;
}

export interface TextPool {
  pack: (text: string) => PackedText;
  /** Gives the buffer back; the text can no longer be read. */
  free: (packed: PackedText) => void;
}

const MIN_BYTES = 1_024;

export const createTextPool = (): TextPool => {
  const free = new Map<number, Buffer[]>();
  const sizeFor = (bytes: number): number => {
    let size = MIN_BYTES;
    while (size < bytes) size *= 2;
    return size;
  };
  return {
    pack: (text) => {
      // ASCII (one UTF-8 byte a character) packs one byte a character; anything else as UTF-16
      // code units, which keep every string exactly (lone surrogates too).
      const encoding = Buffer.byteLength(text, 'utf8') === text.length ? 'latin1' : 'utf16le';
      const length = encoding === 'latin1' ? text.length : text.length * 2;
      const size = sizeFor(length);
      const slab = free.get(size)?.pop() ?? Buffer.allocUnsafeSlow(size);
      slab.write(text, 0, encoding);
      return { bytes: slab.subarray(0, length), encoding, slab };
    },
    free: (packed) => {
      let list = free.get(packed.slab.length);
      if (list === undefined) {
        list = [];
        free.set(packed.slab.length, list);
      }
      list.push(packed.slab);
    },
  };
};
