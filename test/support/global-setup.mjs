// Jest loads global setup outside its module system; tsx lets it run the TypeScript helper unchanged.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { startTestTemporal } = await tsImport('./temporal-server.ts', import.meta.url);
  await startTestTemporal();
}
