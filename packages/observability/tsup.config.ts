import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset';

export default defineConfig((options) => packageBuild({ index: 'src/index.ts' }, { clean: !options.watch }));
