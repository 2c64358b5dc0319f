// Adds cdktf's matchers (toHaveResourceWithProperties, toBeValidTerraform, ...) to expect.
import { Testing } from "cdktf";
// Type declarations of those matchers (the import has no other effect).
import "cdktf/lib/testing/adapters/jest";

Testing.setupJest();
