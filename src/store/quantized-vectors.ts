/**
 * A table of unit vectors kept as int8 codes with one float scale per row: a quarter of the
 * memory of float32, for exact re-scoring where the HNSW graph is not needed. The rounding
 * error on a cosine is about 0.002, far below the gaps that ranking and abstention rely on.
 * File layout: `rows` float32 scales (little-endian), then `rows × dimension` int8 codes.
 */
export class QuantizedVectors {
  private constructor(
    readonly dimension: number,
    readonly rows: number,
    private readonly scales: Float32Array,
    private readonly codes: Int8Array,
  ) {}

  static fromVectors(vectors: ArrayLike<number>[], dimension: number): QuantizedVectors {
    const scales = new Float32Array(vectors.length);
    const codes = new Int8Array(vectors.length * dimension);
    vectors.forEach((vector, row) => {
      let max = 0;
      for (let i = 0; i < dimension; i++) max = Math.max(max, Math.abs(vector[i] as number));
      const scale = max / 127 || 1;
      scales[row] = scale;
      for (let i = 0; i < dimension; i++) codes[row * dimension + i] = Math.round((vector[i] as number) / scale);
    });
    return new QuantizedVectors(dimension, vectors.length, scales, codes);
  }

  static byteLength(rows: number, dimension: number): number {
    return rows * 4 + rows * dimension;
  }

  /** Reads the file layout; views the bytes in place when they are aligned, else copies once. */
  static fromBytes(bytes: Uint8Array, rows: number, dimension: number): QuantizedVectors {
    if (bytes.length !== QuantizedVectors.byteLength(rows, dimension)) throw new Error('vector table has the wrong size');
    const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
    const scales = new Float32Array(aligned.buffer, aligned.byteOffset, rows);
    const codes = new Int8Array(aligned.buffer, aligned.byteOffset + rows * 4, rows * dimension);
    return new QuantizedVectors(dimension, rows, scales, codes);
  }

  toBytes(): Uint8Array[] {
    return [new Uint8Array(this.scales.buffer, this.scales.byteOffset, this.scales.byteLength), new Uint8Array(this.codes.buffer, this.codes.byteOffset, this.codes.byteLength)];
  }

  /** Dot product of a stored row with a float vector. */
  dot(row: number, vector: ArrayLike<number>): number {
    const offset = row * this.dimension;
    let sum = 0;
    for (let i = 0; i < this.dimension; i++) sum += (this.codes[offset + i] as number) * (vector[i] as number);
    return sum * (this.scales[row] as number);
  }

  /** Dot product of two stored rows. */
  dotRows(a: number, b: number): number {
    const offsetA = a * this.dimension;
    const offsetB = b * this.dimension;
    let sum = 0;
    for (let i = 0; i < this.dimension; i++) sum += (this.codes[offsetA + i] as number) * (this.codes[offsetB + i] as number);
    return sum * (this.scales[a] as number) * (this.scales[b] as number);
  }

  /** The row as floats (approximately the vector that was stored). */
  row(row: number): Float32Array {
    const out = new Float32Array(this.dimension);
    const scale = this.scales[row] as number;
    for (let i = 0; i < this.dimension; i++) out[i] = (this.codes[row * this.dimension + i] as number) * scale;
    return out;
  }
}
