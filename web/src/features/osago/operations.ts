/** The OSAGO purchase's operations (each one is in the persisted-documents manifest). */
import { graphql } from "../../gql";

export const OsagoProductsQuery = graphql(`
  query OsagoProducts {
    products(kind: OSAGO) {
      id
      code
      name
    }
  }
`);

export const RegisterClientMutation = graphql(`
  mutation RegisterClient($input: RegisterClientInput!) {
    registerClient(input: $input) {
      id
      fullName
    }
  }
`);

export const OfferFieldsFragment = graphql(`
  fragment OfferFields on Offer {
    id
    status
    premium {
      kopecks
      formatted
    }
    settledAt
    validUntil
    failureReason
    insurer {
      id
      name
      rating
    }
  }
`);

export const RequestOsagoQuotesMutation = graphql(`
  mutation RequestOsagoQuotes($input: OsagoQuoteInput!) {
    requestOsagoQuotes(input: $input) {
      id
      complete
      offers {
        ...OfferFields
      }
    }
  }
`);

export const QuoteSessionQuery = graphql(`
  query QuoteSession($id: ID!) {
    quoteSession(id: $id) {
      id
      complete
      offers {
        ...OfferFields
      }
    }
  }
`);

export const OsagoOffersSubscription = graphql(`
  subscription OsagoOffers($sessionId: ID!) {
    osagoOffers(sessionId: $sessionId) {
      ...OfferFields
    }
  }
`);

export const IssuePolicyMutation = graphql(`
  mutation IssuePolicy($offerId: ID!, $clientId: ID!) {
    issuePolicy(offerId: $offerId, clientId: $clientId) {
      id
      number
      status
      validFrom
      validTo
      premium {
        kopecks
        formatted
      }
      insurer {
        id
        name
      }
    }
  }
`);
