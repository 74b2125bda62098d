"""Writes NAME.gz (and NAME.br when the brotli module or CLI is available) beside every
compressible file under the given folder, for tower-http's precompressed ServeDir."""
import gzip, os, shutil, subprocess, sys

COMPRESSIBLE = (".js", ".wasm", ".css", ".html", ".svg", ".json", ".txt", ".ico")

def main(root: str) -> None:
    brotli_cli = shutil.which("brotli")
    for folder, _, files in os.walk(root):
        for name in files:
            if not name.endswith(COMPRESSIBLE):
                continue
            path = os.path.join(folder, name)
            data = open(path, "rb").read()
            with open(path + ".gz", "wb") as out:
                out.write(gzip.compress(data, compresslevel=9, mtime=0))
            if brotli_cli:
                subprocess.run([brotli_cli, "-f", "-q", "11", "-o", path + ".br", path], check=True)

if __name__ == "__main__":
    main(sys.argv[1])
