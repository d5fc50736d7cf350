// Used by the concurrent-migration test: migrates the database named on the command line and exits.
import { migrate } from '../../src/store/db.js';

await migrate(process.argv[2]!);
process.exit(0);
