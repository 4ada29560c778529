// The platform as Go names it (`linux/amd64`), for the version Kubernetes clients read.
const GOARCH: Record<string, string> = {
  x64: 'amd64',
  ia32: '386',
  arm: 'arm',
  arm64: 'arm64',
  ppc64: 'ppc64le',
  s390x: 's390x',
};

export const goPlatform = (): string => `${process.platform}/${GOARCH[process.arch] ?? process.arch}`;
