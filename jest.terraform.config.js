/** Real-Terraform checks (`npm run test:terraform`): slower than the unit loop, run by `npm test`. */
const unit = require("./jest.config.js");

module.exports = {
  ...unit,
  roots: ["<rootDir>/__tests__/terraform"],
  testPathIgnorePatterns: ["/node_modules/"],
};
