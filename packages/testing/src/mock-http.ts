// @plinth/testing/mock-http: outgoing HTTP intercepted in-process on undici's MockAgent (undici is an optional peer).
export {
  type Expectation,
  type ExpectationOptions,
  type HttpMock,
  type MockHttpOptions,
  type MockReply,
  mockHttp,
  type RecordedCall,
} from './http-mock.js';
