// Preloaded into every node process of a benchmark run (NODE_OPTIONS=--require): on exit, appends
// the process's peak resident set size in KiB to the file named by FACTORY_BENCH_RSS_FILE.
const fs = require("fs");
process.on("exit", () => {
  const file = process.env.FACTORY_BENCH_RSS_FILE;
  if (file) fs.appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
});
