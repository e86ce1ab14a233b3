/** The back office's application operations (each one is in the persisted-documents manifest). */
import { graphql } from "../../gql";

export const ApplicationRowFragment = graphql(`
  fragment ApplicationRow on Application {
    id
    number
    status
    appliedAt
    sumInsured {
      kopecks
      formatted
    }
    client {
      id
      fullName
    }
    product {
      id
      name
    }
  }
`);

export const ApplicationsQuery = graphql(`
  query BackOfficeApplications($filter: ApplicationFilter, $first: Int!, $after: String) {
    applications(filter: $filter, first: $first, after: $after) {
      nodes {
        ...ApplicationRow
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const SearchApplicationsQuery = graphql(`
  query BackOfficeSearchApplications($q: String!, $limit: Int!) {
    searchApplications(q: $q, limit: $limit) {
      ...ApplicationRow
    }
  }
`);

export const ApplicationDetailQuery = graphql(`
  query ApplicationDetail($id: ID!) {
    application(id: $id) {
      ...ApplicationRow
      updatedAt
      termMonths
      comment
      cancellationReason
      insuredObject {
        kind
        description
      }
      vehicle {
        vin
        plate
        make
        model
        year
        enginePowerHp
      }
      statusHistory {
        status
        at
        reason
      }
      policy {
        id
        number
        status
      }
    }
  }
`);

export const CancelApplicationMutation = graphql(`
  mutation BackOfficeCancelApplication($id: ID!, $reason: String!) {
    cancelApplication(id: $id, reason: $reason) {
      id
      status
      cancellationReason
      statusHistory {
        status
        at
        reason
      }
    }
  }
`);

export const CreateApplicationsMutation = graphql(`
  mutation BackOfficeCreateApplications($inputs: [ApplicationBatchInput!]!) {
    createApplications(inputs: $inputs) {
      index
      created
      application {
        id
        number
      }
      error {
        code
        message
        fieldErrors {
          field
          message
        }
      }
    }
  }
`);

export const ProductsQuery = graphql(`
  query Products {
    products {
      id
      name
      kind
    }
  }
`);

export const SearchClientsQuery = graphql(`
  query SearchClients($query: String!) {
    searchClients(query: $query, limit: 10) {
      id
      fullName
      birthDate
      phone
    }
  }
`);
