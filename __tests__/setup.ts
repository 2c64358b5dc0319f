// Adds cdktf's matchers (toHaveResourceWithProperties, toBeValidTerraform, ...) to expect.
import { Testing } from "cdktf";

Testing.setupJest();
