/** Operations both the purchase and the back office use (one persisted document each). */
import { graphql } from "../../gql";

/** Create an application; the idempotency key makes a retry return the first one (`created: false`). */
export const CreateApplicationMutation = graphql(`
  mutation WebCreateApplication($input: ApplicationInput!, $idempotencyKey: String!) {
    createApplication(input: $input, idempotencyKey: $idempotencyKey) {
      created
      application {
        id
        number
        status
      }
    }
  }
`);
