// `flash-ls manifest`: placeholder replaced below once the manifest core lands.
export async function runManifestCommand(_o: { dir: string; python?: string; pythonVersion?: string; out?: string; timeout?: string }): Promise<number> {
  process.stderr.write("flash-ls manifest: not built yet\n");
  return 2;
}
