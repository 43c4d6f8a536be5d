// Preloaded by scripts/bench.ts into each measured node process: reports its peak RSS on exit.
process.on("exit", () => {
  process.stderr.write(`MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
